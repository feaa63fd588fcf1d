/*
 * mkcpio: writes a cpio archive in the "newc" format (the one the Linux
 * kernel unpacks as its initramfs) from a list of entries, to stdout.
 *
 *   mkcpio LIST > initramfs.cpio
 *
 * LIST has one entry a line ('#' starts a comment):
 *   dir   PATH MODE              a directory
 *   file  PATH SOURCE MODE       a regular file with the contents of SOURCE
 *   slink PATH TARGET MODE       a symbolic link
 *   nod   PATH MODE c|b MAJ MIN  a character or block device node
 * MODE is octal permission bits; owner and group are 0. The archive ends with
 * the TRAILER!!! entry. Each header is 110 bytes of ASCII hex fields; the
 * name (with its NUL) and the data are each padded to 4 bytes.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* File types in the mode field, as cpio defines them (not the host's headers). */
#define C_ISDIR 0040000ul
#define C_ISREG 0100000ul
#define C_ISLNK 0120000ul
#define C_ISCHR 0020000ul
#define C_ISBLK 0060000ul

static unsigned long next_ino = 300;

static void die(const char *list, int line, const char *msg, const char *arg)
{
	fprintf(stderr, "mkcpio: %s:%d: %s%s%s\n", list, line, msg, arg ? ": " : "",
		arg ? arg : "");
	exit(1);
}

static void pad4(unsigned long len)
{
	static const char zeros[4];

	fwrite(zeros, 1, (4 - len % 4) % 4, stdout);
}

static void header(const char *name, unsigned long mode, unsigned long nlink, unsigned long size,
		   unsigned long rmaj, unsigned long rmin)
{
	unsigned long namesize = strlen(name) + 1;

	printf("070701%08lX%08lX%08lX%08lX%08lX%08lX%08lX%08lX%08lX%08lX%08lX%08lX%08lX",
	       next_ino++, mode, 0ul, 0ul, nlink, 0ul, size, 0ul, 0ul, rmaj, rmin, namesize, 0ul);
	fwrite(name, 1, namesize, stdout);
	pad4(110 + namesize);
}

/* The archive names paths without the leading '/'. */
static const char *archive_name(const char *path)
{
	while (*path == '/')
		path++;
	return *path ? path : ".";
}

static void add_file(const char *list, int line, const char *path, const char *src,
		     unsigned long perm)
{
	FILE *f = fopen(src, "rb");
	char buf[65536];
	size_t n;
	long size;

	if (!f)
		die(list, line, strerror(errno), src);
	if (fseek(f, 0, SEEK_END) || (size = ftell(f)) < 0 || fseek(f, 0, SEEK_SET))
		die(list, line, "cannot size", src);
	header(archive_name(path), C_ISREG | perm, 1, (unsigned long)size, 0, 0);
	while ((n = fread(buf, 1, sizeof(buf), f)) > 0)
		fwrite(buf, 1, n, stdout);
	if (ferror(f))
		die(list, line, "read error", src);
	fclose(f);
	pad4((unsigned long)size);
}

static unsigned long octal(const char *list, int line, const char *s)
{
	char *end;
	unsigned long v = strtoul(s, &end, 8);

	if (!*s || *end || v > 07777)
		die(list, line, "bad mode", s);
	return v;
}

static void add_entry(const char *list, int line, char *words[], int n)
{
	const char *kind = words[0], *path = words[1];

	if (!strcmp(kind, "dir") && n == 3) {
		header(archive_name(path), C_ISDIR | octal(list, line, words[2]), 2, 0, 0, 0);
	} else if (!strcmp(kind, "file") && n == 4) {
		add_file(list, line, path, words[2], octal(list, line, words[3]));
	} else if (!strcmp(kind, "slink") && n == 4) {
		unsigned long len = strlen(words[2]);

		header(archive_name(path), C_ISLNK | octal(list, line, words[3]), 1, len, 0, 0);
		fwrite(words[2], 1, len, stdout);
		pad4(len);
	} else if (!strcmp(kind, "nod") && n == 6 &&
		   (!strcmp(words[3], "c") || !strcmp(words[3], "b"))) {
		unsigned long type = words[3][0] == 'c' ? C_ISCHR : C_ISBLK;

		header(archive_name(path), type | octal(list, line, words[2]), 1, 0,
		       strtoul(words[4], NULL, 10), strtoul(words[5], NULL, 10));
	} else {
		die(list, line,
		    "bad entry (dir PATH MODE | file PATH SRC MODE | slink PATH "
		    "TARGET MODE | nod PATH MODE c|b MAJ MIN)",
		    kind);
	}
}

int main(int argc, char **argv)
{
	char text[4096];
	int line = 0;
	FILE *f;

	if (argc != 2) {
		fprintf(stderr, "usage: mkcpio LIST > OUT.cpio\n");
		return 2;
	}
	f = fopen(argv[1], "r");
	if (!f)
		die(argv[1], 0, strerror(errno), NULL);
	while (fgets(text, sizeof(text), f)) {
		char *words[8], *save, *w;
		int n = 0;

		line++;
		text[strcspn(text, "#\r\n")] = 0;
		for (w = strtok_r(text, " \t", &save); w && n < 8; w = strtok_r(NULL, " \t", &save))
			words[n++] = w;
		if (n)
			add_entry(argv[1], line, words, n);
	}
	fclose(f);
	header("TRAILER!!!", 0, 1, 0, 0, 0);
	return fflush(stdout) == 0 ? 0 : 1;
}
