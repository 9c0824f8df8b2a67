/*
 * csv.c - RFC 4180 rows: fields with a comma, quote or newline are quoted,
 * quotes doubled.
 */
#include <string.h>

#include "heapscan/format.h"

void hs_csv_row(FILE *f, const char *const *cells, int n)
{
	int i;
	for (i = 0; i < n; i++) {
		const char *c = cells[i] ? cells[i] : "";
		if (i)
			fputc(',', f);
		if (strpbrk(c, ",\"\n\r")) {
			fputc('"', f);
			for (; *c; c++) {
				if (*c == '"')
					fputc('"', f);
				fputc(*c, f);
			}
			fputc('"', f);
		} else {
			fputs(c, f);
		}
	}
	fputc('\n', f);
}
