"$HS" help frobnicate
