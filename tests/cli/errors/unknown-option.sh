"$HS" histogram --frob x
