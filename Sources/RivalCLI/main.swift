print("rival")
