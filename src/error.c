/*
 * error.c - filling and naming hs_error values (see error.h).
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "heapscan/error.h"

void hs_error_clear(hs_error *err)
{
	if (!err)
		return;
	err->code = HS_OK;
	err->offset = HS_NO_OFFSET;
	err->tag = 0;
	err->msg[0] = '\0';
}

int hs_error_set(hs_error *err, int code, uint64_t offset, const char *fmt, ...)
{
	va_list ap;

	if (!err)
		return code;
	err->code = code;
	err->offset = offset;
	va_start(ap, fmt);
	vsnprintf(err->msg, sizeof(err->msg), fmt, ap);
	va_end(ap);
	return code;
}

int hs_error_oom(hs_error *err, const char *doing)
{
	if (doing)
		return hs_error_set(err, HS_ENOMEM, HS_NO_OFFSET, "out of memory %s", doing);
	return hs_error_set(err, HS_ENOMEM, HS_NO_OFFSET, "out of memory");
}

void hs_error_name_file(hs_error *err, const char *path)
{
	char msg[sizeof(err->msg)];
	int n;
	if (!err)
		return;
	memcpy(msg, err->msg, sizeof(msg));
	msg[sizeof(msg) - 1] = '\0';
	if (err->offset != HS_NO_OFFSET)
		n = snprintf(err->msg, sizeof(err->msg), "%s: offset %llu (0x%llx): %s", path,
			     (unsigned long long)err->offset, (unsigned long long)err->offset, msg);
	else
		n = snprintf(err->msg, sizeof(err->msg), "%s: %s", path, msg);
	if (n >= (int)sizeof(err->msg))   /* cut: end it visibly */
		memcpy(err->msg + sizeof(err->msg) - 4, "...", 4);
	err->offset = HS_NO_OFFSET;
}

const char *hs_strerror(int code)
{
	switch (code) {
	case HS_OK:        return "success";
	case HS_ENOMEM:    return "out of memory";
	case HS_EIO:       return "I/O error";
	case HS_EFORMAT:   return "bad format";
	case HS_ETRUNC:    return "truncated input";
	case HS_ELIMIT:    return "limit exceeded";
	case HS_EUSAGE:    return "bad usage";
	case HS_ENOTFOUND: return "not found";
	case HS_ECHANGED:  return "the dump changed while it was read";
	case HS_EINTERNAL: return "internal error";
	}
	return "unknown error";
}
