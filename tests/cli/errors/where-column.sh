# A malformed --where is refused with its column before any dump is read
# (the dump named does not exist).
"$HS" objects --where 'size > 10 and (name ~ 5' java.util.HashMap no-such-dump.hprof
