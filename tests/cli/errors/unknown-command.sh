"$HS" frobnicate x
