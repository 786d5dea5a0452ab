#ifndef GATEHOUSE_CPOSTGRES_SHIM_H
#define GATEHOUSE_CPOSTGRES_SHIM_H
#include <postgresql/libpq-fe.h>
#endif
