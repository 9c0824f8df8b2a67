"$HS" histogram --top 0 --frob x
