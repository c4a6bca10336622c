/* secretc.h — the C API of the secretc runtime: load a compiled rulebase (`.secbc`), describe a case
 * fact by fact, evaluate it, and read the answer. Usable from C (C99) and C++; docs/embedding.md is the
 * full reference.
 *
 * Handles are opaque and freed explicitly:
 *   secretc_rulebase  a loaded, verified program. Immutable once loaded: it may be shared by any number of
 *                     threads and cases at once. It must outlive every case made from it.
 *   secretc_case      the facts of one case, the machine that evaluates it and its last answer. One case
 *                     (one machine) per thread: a case must not be used by two threads at the same time;
 *                     different cases, even of one rulebase, may be used concurrently.
 * The library keeps no global state.
 *
 * Errors: every function that can fail returns a secretc_status. No C++ exception ever crosses the API
 * (an unexpected one becomes SECRETC_ERROR_INTERNAL, an allocation failure SECRETC_ERROR_MEMORY); a
 * call that fails changes nothing. A failed load hands back its message (free it with secretc_string_free);
 * a case keeps the messages of its last failed call (secretc_case_message_count). Strings are UTF-8 and
 * NUL-terminated; a `const char*` the library returns stays valid as the documentation of the call says,
 * and is never freed by the caller unless said so. */
#ifndef SECRETC_H
#define SECRETC_H

#include <stddef.h>
#include <stdint.h>

#if defined(_WIN32)
#define SECRETC_API
#else
#define SECRETC_API __attribute__((visibility("default")))
#endif

#ifdef __cplusplus
extern "C" {
#endif

/* The version of this API (not of a rulebase): major * 10000 + minor * 100 + patch. */
#define SECRETC_API_VERSION 100
SECRETC_API int secretc_api_version(void);

typedef enum secretc_status {
  SECRETC_OK = 0,
  SECRETC_ERROR_ARGUMENT = 1, /* a null pointer where a value is needed, an index out of range */
  SECRETC_ERROR_BYTECODE = 2, /* the bytes are not a valid `.secbc` (damaged, another version, not one at all) */
  SECRETC_ERROR_IO = 3,       /* the file cannot be read, or is larger than the bytecode limit (64 MiB) */
  SECRETC_ERROR_CASE = 4,     /* a fact the rulebase does not have, or a value its type does not accept */
  SECRETC_ERROR_STATE = 5,    /* the case has not been evaluated since its facts last changed */
  SECRETC_ERROR_MEMORY = 6,   /* an allocation failed */
  SECRETC_ERROR_INTERNAL = 7, /* a bug in secretc: please report it with the message */
  SECRETC_ERROR_RULES = 8,    /* rule sources that do not compile (secretc_rulebase_compile) */
  /* Not a status: makes every int a valid value of the type in C++ too, so that a C caller passing any
   * int (to the functions taking one of these enumerations) is refused, never undefined behaviour. The
   * other enumerations below end the same way. */
  SECRETC_STATUS_MAX_ = 0x7fffffff
} secretc_status;

/* A short English name of a status ("ok", "invalid bytecode", ...); never NULL. */
SECRETC_API const char* secretc_status_name(secretc_status status);

/* The language of the texts the library gives: messages, rule titles, questions. DEFAULT is the
 * rulebase's own (French for the Belgian one). */
typedef enum secretc_lang {
  SECRETC_LANG_DEFAULT = 0,
  SECRETC_LANG_FR = 1,
  SECRETC_LANG_EN = 2,
  SECRETC_LANG_MAX_ = 0x7fffffff
} secretc_lang;

typedef struct secretc_rulebase secretc_rulebase;
typedef struct secretc_case secretc_case;

/* Frees a string the library allocated for the caller (a load's message). NULL is allowed. */
SECRETC_API void secretc_string_free(char* string);

/* ---- Rulebases ---------------------------------------------------------------------------------------- */

/* Loads and verifies a compiled rulebase (`secretc compile … -o R.secbc`) from `size` bytes, which are
 * copied. On success *out is a new rulebase and *error (when error is not NULL) is NULL; on failure *out
 * is NULL and *error a message saying what is wrong and where (a byte offset, a section), to be freed
 * with secretc_string_free. */
SECRETC_API secretc_status secretc_rulebase_load_bytes(const void* bytes, size_t size, secretc_rulebase** out,
                                                       char** error);
/* The same, from a file (its path in the encoding of the system). */
SECRETC_API secretc_status secretc_rulebase_load_file(const char* path, secretc_rulebase** out, char** error);
/* Compiles rule sources — one `.rules` file, or a folder of them read as `secretc compile` reads it — and
 * loads the program. On failure *out is NULL and *error holds every diagnostic, located
 * (`file:line:col: error: …`, in English), to be freed with secretc_string_free: SECRETC_ERROR_IO when a
 * source cannot be read, SECRETC_ERROR_RULES when the rules are wrong. */
SECRETC_API secretc_status secretc_rulebase_compile(const char* path, secretc_rulebase** out, char** error);
/* Frees a rulebase; every case made from it must have been freed before. NULL is allowed. */
SECRETC_API void secretc_rulebase_free(secretc_rulebase* rulebase);

/* What the rulebase says of itself: its name, its version, its source hash as 16 hex digits. The strings
 * live as long as the rulebase. */
SECRETC_API const char* secretc_rulebase_name(const secretc_rulebase* rulebase);
SECRETC_API const char* secretc_rulebase_version(const secretc_rulebase* rulebase);
SECRETC_API const char* secretc_rulebase_hash(const secretc_rulebase* rulebase);

/* The kinds of value of a fact or an output. */
typedef enum secretc_type {
  SECRETC_TYPE_BOOL = 0,
  SECRETC_TYPE_INTEGER = 1,
  SECRETC_TYPE_DATE = 2,
  SECRETC_TYPE_STRING = 3,
  SECRETC_TYPE_ARTICLE = 4, /* an article of a code, like 458bis or 371/1 */
  SECRETC_TYPE_MEMBER = 5,  /* a member of an enumeration */
  SECRETC_TYPE_SET = 6,     /* a set of members (outputs only) */
  SECRETC_TYPE_MAX_ = 0x7fffffff
} secretc_type;

/* The facts a case may give, in the rulebase's order. Out of range: NULL (names, questions) or -1 (type). */
SECRETC_API size_t secretc_rulebase_fact_count(const secretc_rulebase* rulebase);
SECRETC_API const char* secretc_rulebase_fact_name(const secretc_rulebase* rulebase, size_t fact);
SECRETC_API int secretc_rulebase_fact_type(const secretc_rulebase* rulebase, size_t fact);
/* The question the rulebase asks for a fact, in `lang` ("" when it has none). */
SECRETC_API const char* secretc_rulebase_fact_question(const secretc_rulebase* rulebase, size_t fact,
                                                       secretc_lang lang);
/* The members a fact of type MEMBER may take (0 for the other types), by index. */
SECRETC_API size_t secretc_rulebase_fact_member_count(const secretc_rulebase* rulebase, size_t fact);
SECRETC_API const char* secretc_rulebase_fact_member(const secretc_rulebase* rulebase, size_t fact, size_t member);
/* The index of a fact, output or rule by name; SECRETC_ERROR_ARGUMENT when there is none. */
SECRETC_API secretc_status secretc_rulebase_find_fact(const secretc_rulebase* rulebase, const char* name,
                                                      size_t* index);
SECRETC_API secretc_status secretc_rulebase_find_output(const secretc_rulebase* rulebase, const char* name,
                                                        size_t* index);
SECRETC_API secretc_status secretc_rulebase_find_rule(const secretc_rulebase* rulebase, const char* name,
                                                      size_t* index);

/* The outputs (verdict, obligation, conditions, ...), in the rulebase's order. */
SECRETC_API size_t secretc_rulebase_output_count(const secretc_rulebase* rulebase);
SECRETC_API const char* secretc_rulebase_output_name(const secretc_rulebase* rulebase, size_t output);
/* 1 for an output holding a set of members, 0 for one holding one member, -1 out of range. */
SECRETC_API int secretc_rulebase_output_is_set(const secretc_rulebase* rulebase, size_t output);

/* The rules (and warnings), in the rulebase's order: name, title in `lang` (the name when it has none),
 * citation ("" when none), whether it is a warning (1), a rule (0), or out of range (-1). */
SECRETC_API size_t secretc_rulebase_rule_count(const secretc_rulebase* rulebase);
SECRETC_API const char* secretc_rulebase_rule_name(const secretc_rulebase* rulebase, size_t rule);
SECRETC_API const char* secretc_rulebase_rule_title(const secretc_rulebase* rulebase, size_t rule, secretc_lang lang);
SECRETC_API const char* secretc_rulebase_rule_cite(const secretc_rulebase* rulebase, size_t rule);
SECRETC_API int secretc_rulebase_rule_is_warning(const secretc_rulebase* rulebase, size_t rule);

/* ---- Cases -------------------------------------------------------------------------------------------- */

/* A new, empty case of a rulebase: no fact given, dated today (UTC) for the facts whose default is today. */
SECRETC_API secretc_status secretc_case_new(const secretc_rulebase* rulebase, secretc_case** out);
SECRETC_API void secretc_case_free(secretc_case* c);
/* Forgets every fact given (the language and the day are kept), so that a case can be reused. */
SECRETC_API secretc_status secretc_case_clear(secretc_case* c);
/* The language of the case's messages (default: the rulebase's). */
SECRETC_API secretc_status secretc_case_set_language(secretc_case* c, secretc_lang lang);
/* The day used for facts whose default is today (`cas.date`), as `secretc check --date` does. */
SECRETC_API secretc_status secretc_case_set_today(secretc_case* c, int year, int month, int day);

/* Gives a fact, by name, as a case file would (docs/case-files.md): the value is read exactly as the line
 * `name = value` of a case file is, forgiving words included (`Médecin` is read as `medecin`, `oui` as
 * true, a synonym the rulebase declares as its member). Giving a fact again replaces its value. When the
 * name or the value is refused, the call returns SECRETC_ERROR_CASE, the case is unchanged, and the
 * messages say why (with a suggestion: `did you mean …?`). A word read otherwise is accepted with a note
 * among the messages.
 *   bool:    a truth value (0 false, anything else true), for a bool fact;
 *   integer: for an integer fact (and for an article, as its number);
 *   date:    a day, for a date fact; an impossible day (2019-02-30) is refused;
 *   word:    a member of the fact's enumeration, or a yes/no word (true/false, oui/non, vrai/faux) for a
 *            bool fact; `inconnu` means unknown;
 *   string:  a text, for a text fact; an article for an article fact ("458bis");
 *   unknown: the fact is unknown (`name = ?`): the answer then says what it depends on. */
SECRETC_API secretc_status secretc_case_set_bool(secretc_case* c, const char* name, int value);
SECRETC_API secretc_status secretc_case_set_integer(secretc_case* c, const char* name, int64_t value);
SECRETC_API secretc_status secretc_case_set_date(secretc_case* c, const char* name, int year, int month, int day);
SECRETC_API secretc_status secretc_case_set_word(secretc_case* c, const char* name, const char* word);
SECRETC_API secretc_status secretc_case_set_string(secretc_case* c, const char* name, const char* text);
SECRETC_API secretc_status secretc_case_set_unknown(secretc_case* c, const char* name);
/* Takes a fact out of the case (as if its line were not written). Not given: SECRETC_ERROR_CASE. */
SECRETC_API secretc_status secretc_case_unset(secretc_case* c, const char* name);

/* The messages of the case's last call that set a fact or evaluated (errors, and notes such as `Médecin`
 * read as `medecin`). Each is one line: `fact `NAME`: error: MESSAGE` (then ` — HINT` when there is one), in
 * the case's language. Valid until the next call on the case. */
SECRETC_API size_t secretc_case_message_count(const secretc_case* c);
SECRETC_API const char* secretc_case_message(const secretc_case* c, size_t index);
/* 1 when the message is an error, 0 for a note; -1 out of range. */
SECRETC_API int secretc_case_message_is_error(const secretc_case* c, size_t index);

/* Evaluates the case as `secretc check` does. The answer stays until the facts change or the case is
 * evaluated again; reading it before an evaluation gives SECRETC_ERROR_STATE (or 0 and NULL). A conflict
 * between rules is an answer (see secretc_case_conflict_count), not a failure. */
SECRETC_API secretc_status secretc_case_evaluate(secretc_case* c);

/* One output's answer (docs/language.md, "Answers under uncertainty"). The strings and arrays stay valid
 * until the case's next evaluation, change of facts or free. */
typedef struct secretc_output {
  const char* name;
  int is_set;                  /* 1: the output holds a set of members */
  const char* value;           /* one member: the value to act on (settled, or the cautious one while not settled);
                                  NULL when there is none (no rule applies and no default, or a conflict) */
  int settled;                 /* 1: every completion of the case's unknown facts gives this answer */
  int conflict;                /* 1: rules that apply for sure set it to different values */
  int may_be_unknown;          /* 1: some completion leaves it without a value */
  const char* const* possible; /* the members some completion may give (may hold, for a set) */
  size_t possible_count;
  const char* const* held; /* a set: the members every completion holds; one member: `value`, if any */
  size_t held_count;
} secretc_output;

SECRETC_API size_t secretc_case_output_count(const secretc_case* c);
SECRETC_API secretc_status secretc_case_output(const secretc_case* c, size_t output, secretc_output* out);
/* The answer of the output named `name`. */
SECRETC_API secretc_status secretc_case_output_named(const secretc_case* c, const char* name, secretc_output* out);

/* The rules that apply for sure (fire and are not set aside), in the rulebase's order, as rule indices
 * (secretc_rulebase_rule_name gives their names; warnings are among them). */
SECRETC_API size_t secretc_case_fired_count(const secretc_case* c);
SECRETC_API size_t secretc_case_fired(const secretc_case* c, size_t index);
/* The rules that fire for sure but are set aside for sure, each with the first rule setting it aside. */
SECRETC_API size_t secretc_case_set_aside_count(const secretc_case* c);
SECRETC_API secretc_status secretc_case_set_aside(const secretc_case* c, size_t index, size_t* rule, size_t* by);
/* The rules that may apply or not, depending on unknown facts (warnings excluded). */
SECRETC_API size_t secretc_case_may_apply_count(const secretc_case* c);
SECRETC_API size_t secretc_case_may_apply(const secretc_case* c, size_t index);
/* Conflicts: two rules applying for sure that set one output to different values. */
SECRETC_API size_t secretc_case_conflict_count(const secretc_case* c);
SECRETC_API secretc_status secretc_case_conflict(const secretc_case* c, size_t index, size_t* output, size_t* first,
                                                 size_t* second);

/* How much an open question matters, the most decisive first. */
typedef enum secretc_rank {
  SECRETC_RANK_VERDICT = 0,  /* alone, its answer changes the verdict */
  SECRETC_RANK_ANSWER = 1,   /* alone, it changes another output with one value */
  SECRETC_RANK_LIMITS = 2,   /* alone, it changes a set output (limits, sanctions) */
  SECRETC_RANK_TOGETHER = 3, /* it changes an output only together with others */
  SECRETC_RANK_MAX_ = 0x7fffffff
} secretc_rank;

/* The open questions: unknown facts whose answer could change an output, the most decisive first (the
 * order of `secretc check`'s `missing`). Each is a fact index and its rank. */
SECRETC_API size_t secretc_case_open_question_count(const secretc_case* c);
SECRETC_API secretc_status secretc_case_open_question(const secretc_case* c, size_t index, size_t* fact,
                                                      secretc_rank* rank);

/* The whole answer, as `secretc check --format json` writes it (docs/case-files.md §3), computed by the
 * same code: outputs and their status, grounds, rules set aside and that may apply, conflicts, the
 * conditional answers (`depends_on`: what each open question would change), the open questions ranked
 * (`missing`), and with why_not = 1 the exceptions that came close (`why_not`; a search that costs far
 * more than the answer). Evaluates the case first, as secretc_case_evaluate. On success *json is a
 * UTF-8 JSON text to free with secretc_string_free; on failure it is NULL. */
SECRETC_API secretc_status secretc_case_answer_json(secretc_case* c, int why_not, char** json);

#ifdef __cplusplus
}
#endif

#endif /* SECRETC_H */
