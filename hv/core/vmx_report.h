/* The VMX feature table: what every CPU's probe found, printed once by the boot CPU. */
#ifndef TESSERA_HV_VMX_REPORT_H
#define TESSERA_HV_VMX_REPORT_H

#include "lib/types.h"

/*
 * Reads percpu[0..cpu_count) (the boot CPU and every CPU marked online) after each
 * ran vmx_caps_probe() and, when usable, vmx_smoke_test(). If the boot CPU cannot
 * use VMX, logs the one line "vmx: not available: <reason>" and returns false (the
 * caller ends the run with TESSERA_NO_VMX). Otherwise logs the feature table (a
 * feature reads "yes" only when every CPU has it) and how many CPUs passed the
 * VMXON/VMXOFF smoke test, and returns true.
 */
bool vmx_report(void);

#endif
