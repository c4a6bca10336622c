/* Installed C API: load the installed Belgian rulebase, answer the case of a doctor called as a witness,
 * print `verdict=VALUE settled=0|1 fired=N`. */
#include <stdio.h>

#include "capi/secretc.h"

int main(void) {
  secretc_rulebase* rb = NULL;
  char* error = NULL;
  if (secretc_rulebase_load_file(SECBC, &rb, &error) != SECRETC_OK) {
    fprintf(stderr, "consumer_c: %s\n", error);
    secretc_string_free(error);
    return 1;
  }
  secretc_case* c = NULL;
  secretc_output verdict;
  if (secretc_case_new(rb, &c) != SECRETC_OK || secretc_case_set_date(c, "cas.date", 2024, 5, 1) != SECRETC_OK ||
      secretc_case_set_word(c, "confident.fonction", "medecin") != SECRETC_OK ||
      secretc_case_set_word(c, "situation", "temoignage_en_justice") != SECRETC_OK ||
      secretc_case_evaluate(c) != SECRETC_OK || secretc_case_output_named(c, "verdict", &verdict) != SECRETC_OK) {
    fprintf(stderr, "consumer_c: a call failed\n");
    return 1;
  }
  printf("verdict=%s settled=%d fired=%zu\n", verdict.value != NULL ? verdict.value : "none", verdict.settled,
         secretc_case_fired_count(c));
  secretc_case_free(c);
  secretc_rulebase_free(rb);
  return 0;
}
