/*
 * VMCALL: dispatch to the partition's hypercall interface (hypercall.h). A hot
 * path: handle_vmcall() is one load and a tail jump (the partition holds a copy
 * of its interface, not a pointer to it), and the handler answers its common
 * call itself.
 */
#include "hv/hypercall/hypercall.h"
#include "hv/exit/vmexit.h"
#include "hv/partition/partition.h"
#include "hv/hyperv/hyperv.h"

const struct hypercall_iface *hypercall_iface_for(const struct partition_config *cfg)
{
	return cfg->hyperv == CONFIG_ON ? &hyperv_hypercall_iface : &tessera_hypercall_iface;
}

enum exit_action handle_vmcall(struct vcpu *v)
{
	return v->part->hypercall.handle(v);
}
