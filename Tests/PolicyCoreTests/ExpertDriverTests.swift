import Testing
@testable import PolicyCore
import Sim
