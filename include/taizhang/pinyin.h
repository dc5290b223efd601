/*
 * pinyin.h — finding Chinese text by what an officer can type on any keyboard:
 * the initials of its pinyin ("wf" finds 王芳) as well as the text itself.
 *
 * The initials come from the order of GB 2312: its 3755 level-one characters
 * (the common ones, every frequent surname among them) are sorted by pinyin,
 * so the first letter of a character is found from its GB 2312 code with a
 * table of 23 boundaries (glibc's iconv gives the code). A level-two character
 * (rare, sorted by radical) or a character outside GB 2312 has no initial and
 * matches only itself; a character with two readings (单 dan/shan) has the
 * initial of the reading GB 2312 files it under.
 *
 * Deliberately not here: full pinyin spelling and tones (a dictionary of its
 * own), fuzzy matching.
 */
#ifndef TAIZHANG_PINYIN_H
#define TAIZHANG_PINYIN_H

#include <stddef.h>

/* The lower-case pinyin initial of each character of text (UTF-8) into out
 * (out_nbytes bytes, NUL-terminated, cut at the end of out): a letter for a
 * level-one GB 2312 character, an ASCII letter or digit as itself in lower
 * case, and '?' for every other character (so positions line up). */
void pinyin_initials(const char *text, char *out, size_t out_nbytes);

/* Whether text is found by query: query is a part of text, or query (ASCII
 * letters, any case) is a part of text's pinyin initials. An empty query
 * finds everything. */
int pinyin_matches(const char *text, const char *query);

#endif
