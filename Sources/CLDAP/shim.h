#ifndef GATEHOUSE_CLDAP_SHIM_H
#define GATEHOUSE_CLDAP_SHIM_H
#include <lber.h>
#include <ldap.h>
static inline void *gh_LDAP_OPT_ON(void) { return LDAP_OPT_ON; }
static inline void *gh_LDAP_OPT_OFF(void) { return LDAP_OPT_OFF; }
#endif
