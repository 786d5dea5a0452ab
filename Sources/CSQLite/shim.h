#ifndef GATEHOUSE_CSQLITE_SHIM_H
#define GATEHOUSE_CSQLITE_SHIM_H
#include <sqlite3.h>
/* SQLITE_TRANSIENT is a macro over a cast; Swift cannot import it. */
static inline sqlite3_destructor_type gh_SQLITE_TRANSIENT(void) { return SQLITE_TRANSIENT; }
#endif
