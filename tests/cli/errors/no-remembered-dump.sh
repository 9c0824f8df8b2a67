"$HS" dominators
