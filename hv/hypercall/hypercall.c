/*
 * VMCALL: dispatch to the partition's hypercall interface (hypercall.h). A hot
 * path: handle_vmcall() is a tail jump through two loads, and the interface's
 * handler answers its common call itself.
 */
#include "hv/hypercall/hypercall.h"
#include "hv/exit/vmexit.h"
#include "hv/partition/partition.h"

const struct hypercall_iface *hypercall_iface_for(const struct partition_config *cfg)
{
	(void)cfg; /* the key that selects Hyper-V's interface comes with it */
	return &tessera_hypercall_iface;
}

enum exit_action handle_vmcall(struct vcpu *v)
{
	return v->part->hypercall->handle(v);
}
