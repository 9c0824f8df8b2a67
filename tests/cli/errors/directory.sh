mkdir d && "$HS" info d
