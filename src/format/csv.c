/*
 * csv.c - RFC 4180 rows: each cell escaped as text first (format.h), so a
 * record never spans lines; cells with a comma or a quote are quoted,
 * quotes doubled.
 */
#include <stdlib.h>
#include <string.h>

#include "heapscan/format.h"

void hs_csv_row(FILE *f, const char *const *cells, int n)
{
	int i;
	for (i = 0; i < n; i++) {
		char *e = hs_text_escape(cells[i] ? cells[i] : "");
		const char *c = e ? e : "?";   /* out of memory: no raw byte */
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
		free(e);
	}
	fputc('\n', f);
}
