/* Embedding secretc in a C program: the case of examples/mediateur_tribunal_procedure_inconnue.fact (a
 * mediator summoned as a witness, the kind of proceedings not said), given fact by fact through the C API
 * (capi/secretc.h), evaluated on the compiled Belgian rulebase, and its answer printed as JSON: each output
 * with whether it is settled and what it may still be, the rules that apply, those set aside, those that
 * may apply, conflicts, and the open questions, the most decisive first.
 *
 *   embed_check BELGIAN.secbc
 *
 * tests/embedding/compare_check.py checks this output against `secretc check --format json` of the case file. */
#include <stdio.h>
#include <stdlib.h>

#include "capi/secretc.h"

/* A JSON string: the names and members printed here are identifiers, but a title may hold anything. */
static void print_string(const char* s) {
  putchar('"');
  for (; *s != '\0'; ++s) {
    const unsigned char ch = (unsigned char)*s;
    if (ch == '"' || ch == '\\') {
      printf("\\%c", ch);
    } else if (ch < 0x20) {
      printf("\\u%04x", ch);
    } else {
      putchar(ch);
    }
  }
  putchar('"');
}

static void print_members(const char* const* members, size_t count) {
  putchar('[');
  for (size_t i = 0; i < count; ++i) {
    if (i > 0) printf(", ");
    print_string(members[i]);
  }
  putchar(']');
}

/* Stops on a refused call, with the case's messages. */
static void check(secretc_status status, const secretc_case* c, const char* what) {
  if (status == SECRETC_OK) return;
  fprintf(stderr, "embed_check: %s: %s\n", what, secretc_status_name(status));
  for (size_t i = 0; c != NULL && i < secretc_case_message_count(c); ++i)
    fprintf(stderr, "  %s\n", secretc_case_message(c, i));
  exit(1);
}

int main(int argc, char** argv) {
  if (argc != 2) {
    fprintf(stderr, "usage: embed_check BELGIAN.secbc\n");
    return 2;
  }
  secretc_rulebase* rb = NULL;
  char* error = NULL;
  if (secretc_rulebase_load_file(argv[1], &rb, &error) != SECRETC_OK) {
    fprintf(stderr, "embed_check: %s\n", error != NULL ? error : "cannot load the rulebase");
    secretc_string_free(error);
    return 1;
  }

  secretc_case* c = NULL;
  check(secretc_case_new(rb, &c), NULL, "secretc_case_new");
  /* The facts of the case file, each with the setter of its type. A word is read as a case file reads
   * it: "Médiateur" is the member `mediateur` (with a note saying so). */
  check(secretc_case_set_date(c, "cas.date", 2023, 10, 10), c, "cas.date");
  check(secretc_case_set_string(c, "cas.titre", "Le médiateur cité comme témoin (procédure non précisée)"), c,
        "cas.titre");
  check(secretc_case_set_word(c, "confident.fonction", "Médiateur"), c, "confident.fonction");
  for (size_t i = 0; i < secretc_case_message_count(c); ++i)
    fprintf(stderr, "embed_check: %s\n", secretc_case_message(c, i));
  check(secretc_case_set_word(c, "confident.secteur", "prive"), c, "confident.secteur");
  check(secretc_case_set_word(c, "information.nature", "confidence"), c, "information.nature");
  check(secretc_case_set_word(c, "situation", "temoignage_en_justice"), c, "situation");
  check(secretc_case_set_word(c, "destinataire.qualite", "tribunal"), c, "destinataire.qualite");
  /* A misspelt name is refused, with a suggestion, and changes nothing. */
  if (secretc_case_set_bool(c, "victime.mineure", 1) != SECRETC_ERROR_CASE) {
    fprintf(stderr, "embed_check: a misspelt fact was accepted\n");
    return 1;
  }
  fprintf(stderr, "embed_check: refused as expected: %s\n", secretc_case_message(c, 0));

  check(secretc_case_evaluate(c), c, "secretc_case_evaluate");

  printf("{\n  \"outputs\": {");
  for (size_t o = 0; o < secretc_case_output_count(c); ++o) {
    secretc_output out;
    check(secretc_case_output(c, o, &out), c, "secretc_case_output");
    printf("%s\n    ", o > 0 ? "," : "");
    print_string(out.name);
    printf(": {\"value\": ");
    if (out.is_set) {
      print_members(out.held, out.held_count);
    } else if (out.value != NULL) {
      print_string(out.value);
    } else {
      printf("null");
    }
    printf(", \"settled\": %s, \"conflict\": %s, \"possible\": ", out.settled ? "true" : "false",
           out.conflict ? "true" : "false");
    print_members(out.possible, out.possible_count);
    putchar('}');
  }
  printf("\n  },\n  \"applies\": [");
  for (size_t i = 0; i < secretc_case_fired_count(c); ++i) {
    const size_t rule = secretc_case_fired(c, i);
    printf("%s\n    {\"rule\": ", i > 0 ? "," : "");
    print_string(secretc_rulebase_rule_name(rb, rule));
    printf(", \"warning\": %s, \"title\": ", secretc_rulebase_rule_is_warning(rb, rule) == 1 ? "true" : "false");
    print_string(secretc_rulebase_rule_title(rb, rule, SECRETC_LANG_FR));
    putchar('}');
  }
  printf("\n  ],\n  \"set_aside\": [");
  for (size_t i = 0; i < secretc_case_set_aside_count(c); ++i) {
    size_t rule = 0, by = 0;
    check(secretc_case_set_aside(c, i, &rule, &by), c, "secretc_case_set_aside");
    printf("%s{\"rule\": ", i > 0 ? ", " : "");
    print_string(secretc_rulebase_rule_name(rb, rule));
    printf(", \"by\": ");
    print_string(secretc_rulebase_rule_name(rb, by));
    putchar('}');
  }
  printf("],\n  \"may_apply\": [");
  for (size_t i = 0; i < secretc_case_may_apply_count(c); ++i) {
    if (i > 0) printf(", ");
    print_string(secretc_rulebase_rule_name(rb, secretc_case_may_apply(c, i)));
  }
  printf("],\n  \"conflicts\": [");
  for (size_t i = 0; i < secretc_case_conflict_count(c); ++i) {
    size_t output = 0, first = 0, second = 0;
    check(secretc_case_conflict(c, i, &output, &first, &second), c, "secretc_case_conflict");
    printf("%s{\"output\": ", i > 0 ? ", " : "");
    print_string(secretc_rulebase_output_name(rb, output));
    printf(", \"rules\": [");
    print_string(secretc_rulebase_rule_name(rb, first));
    printf(", ");
    print_string(secretc_rulebase_rule_name(rb, second));
    printf("]}");
  }
  static const char* const kRanks[] = {"verdict", "answer", "limits", "together"};
  printf("],\n  \"open_questions\": [");
  for (size_t i = 0; i < secretc_case_open_question_count(c); ++i) {
    size_t fact = 0;
    secretc_rank rank = SECRETC_RANK_TOGETHER;
    check(secretc_case_open_question(c, i, &fact, &rank), c, "secretc_case_open_question");
    printf("%s\n    {\"fact\": ", i > 0 ? "," : "");
    print_string(secretc_rulebase_fact_name(rb, fact));
    printf(", \"rank\": \"%s\", \"question\": ", kRanks[rank]);
    print_string(secretc_rulebase_fact_question(rb, fact, SECRETC_LANG_FR));
    putchar('}');
  }
  printf("\n  ]\n}\n");

  secretc_case_free(c);
  secretc_rulebase_free(rb);
  return 0;
}
