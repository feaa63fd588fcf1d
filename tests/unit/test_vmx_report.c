/* hv/core/vmx_report.c: the VMX feature table printed from the per-CPU probe results. */
#include "tests/unit/check.h"
#include "arch/x86/percpu.h"
#include "hv/core/vmx_report.h"

struct percpu percpu[MAX_CPUS];
uint32_t cpu_count;

/* A CPU as the probe leaves it on Bochs 3.0 tigerlake (the decoded part only). */
static void usable_cpu(uint32_t i)
{
	struct vmx_caps *c = &percpu[i].vmx;

	memset(&percpu[i], 0, sizeof(percpu[i]));
	percpu[i].index = i;
	percpu[i].online = true;
	percpu[i].vmx_smoke = 1;
	c->present = true;
	c->vmcs_revision = 0x3f;
	c->ept = c->ept_2m = c->ept_1g = c->ept_exec_only = c->ept_ad = true;
	c->ept_wb = c->ept_4level = c->invept = c->invvpid = c->vpid = true;
	c->unrestricted_guest = c->apic_access = c->apic_register_virt = true;
	c->virt_intr_delivery = c->posted_intr = c->preemption_timer = true;
	c->preemption_timer_rate = 5;
	c->x2apic_virt = c->msr_bitmap = c->io_bitmap = c->vmcs_shadowing = true;
	c->pml = c->spp = c->mbec = c->vm_functions = true;
}

static void machine(uint32_t n)
{
	memset(percpu, 0, sizeof(percpu));
	cpu_count = n;
	for (uint32_t i = 0; i < n; i++)
		usable_cpu(i);
	check_log_clear();
}

static int count_lines(const char *s)
{
	int n = 0;

	for (; *s; s++)
		n += *s == '\n';
	return n;
}

TEST(not_available_is_one_line)
{
	machine(1);
	percpu[0].vmx.missing = "CPUID.1:ECX.VMX=0: this CPU has no VMX";
	CHECK(!vmx_report());
	CHECK_STR(check_log, "vmx: not available: CPUID.1:ECX.VMX=0: this CPU has no VMX\n");
}

TEST(identical_cpus)
{
	static const char *const order[] = {
	    "EPT ",
	    "EPT 2M pages ",
	    "EPT 1G pages ",
	    "EPT execute-only ",
	    "EPT accessed/dirty ",
	    "VPID ",
	    "unrestricted guest ",
	    "APIC-access virtualization ",
	    "APIC-register virtualization ",
	    "virtual-interrupt delivery ",
	    "posted interrupts ",
	    "preemption timer ",
	    "x2APIC virtualization ",
	    "MSR bitmaps ",
	    "I/O bitmaps ",
	    "VMCS shadowing ",
	    "PML ",
	    "SPP ",
	    "mode-based execute control ",
	    "VMFUNC ",
	};
	const char *p;

	machine(2);
	CHECK(vmx_report());
	CHECK(strstr(check_log, "vmx: feature table (2 CPUs, identical)\n") == check_log);
	p = check_log;
	for (size_t i = 0; i < sizeof(order) / sizeof(order[0]); i++) {
		char want[80];

		snprintf(want, sizeof(want), "vmx:   %s", order[i]);
		p = strstr(p, want);
		CHECK(p != NULL);
	}
	CHECK(strstr(check_log, "vmx:   posted interrupts              yes\n"));
	CHECK(strstr(check_log, "vmx:   preemption timer               yes (rate: TSC/32)\n"));
	CHECK(strstr(check_log, "vmx: VMXON/VMXOFF ok on 2 of 2 CPUs\n"));
	CHECK_EQ(count_lines(check_log), 22);
}

TEST(no_posted_interrupts)
{
	machine(1);
	percpu[0].vmx.posted_intr = false;
	percpu[0].vmx.mbec = false;
	CHECK(vmx_report());
	CHECK(strstr(check_log, "vmx: feature table (1 CPUs, identical)\n"));
	CHECK(strstr(check_log, "vmx:   posted interrupts              no\n"));
	CHECK(strstr(check_log, "vmx:   mode-based execute control     no\n"));
	CHECK(strstr(check_log, "vmx:   EPT                            yes\n"));
}

TEST(cpus_differ)
{
	machine(4);
	percpu[2].vmx.pml = false;
	percpu[2].vmx.spp = false;
	percpu[3].vmx.vpid = false;
	percpu[3].vmx_smoke = -4;
	CHECK(vmx_report());
	CHECK(strstr(check_log, "vmx: feature table (4 CPUs, CPUs differ: cpu2 lacks PML, SPP; "
				"cpu3 lacks VPID)\n"));
	CHECK(strstr(check_log, "vmx:   PML                            no (not on every CPU)\n"));
	CHECK(strstr(check_log, "vmx:   EPT                            yes\n"));
	CHECK(strstr(check_log, "vmx: VMXON/VMXOFF ok on 3 of 4 CPUs\n"));
}

TEST(boot_cpu_lacks_what_others_have)
{
	machine(2);
	percpu[0].vmx.vm_functions = false;
	CHECK(vmx_report());
	CHECK(strstr(check_log, "CPUs differ: cpu0 lacks VMFUNC)\n"));
}

TEST(offline_cpus_are_skipped)
{
	machine(3);
	percpu[1].online = false;
	percpu[1].vmx.ept = false;
	percpu[1].vmx_smoke = 0;
	CHECK(vmx_report());
	CHECK(strstr(check_log, "vmx: feature table (2 CPUs, identical)\n"));
	CHECK(strstr(check_log, "vmx: VMXON/VMXOFF ok on 2 of 2 CPUs\n"));
}

TEST(ap_without_vmx)
{
	machine(2);
	memset(&percpu[1].vmx, 0, sizeof(percpu[1].vmx));
	percpu[1].vmx.missing = "CPUID.1:ECX.VMX=0: this CPU has no VMX";
	percpu[1].vmx_smoke = -1;
	CHECK(vmx_report());
	CHECK(strstr(check_log, "vmx: cpu1 cannot use VMX: CPUID.1:ECX.VMX=0"));
	/* The difference list is long: it is cut, not overflowed. */
	CHECK(strstr(check_log, "CPUs differ: cpu1 lacks EPT, EPT 2M pages"));
	CHECK(strstr(check_log, "...)\n"));
	CHECK(strstr(check_log, "vmx:   EPT                            no (not on every CPU)\n"));
	CHECK(strstr(check_log, "vmx: VMXON/VMXOFF ok on 1 of 2 CPUs\n"));
}

TEST(hostile_cpu_count)
{
	machine(MAX_CPUS);
	cpu_count = 1000; /* larger than the array: must not read past it */
	CHECK(vmx_report());
	CHECK(strstr(check_log, "(64 CPUs, identical)"));
	machine(1);
	cpu_count = 0;
	CHECK(vmx_report());
	CHECK(strstr(check_log, "(1 CPUs, identical)"));
}

int main(void)
{
	CHECK_MAIN("vmx_report");
	RUN(not_available_is_one_line);
	RUN(identical_cpus);
	RUN(no_posted_interrupts);
	RUN(cpus_differ);
	RUN(boot_cpu_lacks_what_others_have);
	RUN(offline_cpus_are_skipped);
	RUN(ap_without_vmx);
	RUN(hostile_cpu_count);
	return CHECK_END();
}
