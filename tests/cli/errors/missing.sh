"$HS" info nothing.hprof
