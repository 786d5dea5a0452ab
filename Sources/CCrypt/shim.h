#ifndef GATEHOUSE_CCRYPT_SHIM_H
#define GATEHOUSE_CCRYPT_SHIM_H
#include <crypt.h>
#endif
