/*
 * Tessera's guest ABI: what a guest partition sees of the hypervisor. Usable
 * by any guest (needs only <stdint.h>) and by the hypervisor, which implements
 * it. docs/hypercalls.md describes the same contract in prose.
 *
 * Discovery (CPUID), ABI 1.3 (1.1 moved the leaves, 1.2 added TESSERA_HC_HYPERV_CPUID,
 * 1.3 the memory-protection features and calls and the shared-memory calls): Tessera's leaves start
 * at 0x40000100, leaving 0x40000000 for Hyper-V's interface, offered with hyperv = on
 * (docs/hyperv.md): leaf 0x40000100: EAX = highest Tessera leaf (0x40000101), EBX ECX EDX =
 * "TesseraHV\0\0\0"; leaf 0x40000101: EAX = TESSERA_FEAT_*, EBX = hypercall ABI version, ECX[7:0] =
 * the execute-only alias bit (TESSERA_FEAT_XOM), else 0; leaf 0x40000000: while the partition has
 * no other interface, the same as 0x40000100, so a guest scanning 0x40000000, 0x40000100, ... in
 * steps of 0x100 finds Tessera either way. Every other leaf of 0x40000000-0x4fffffff reads zeros.
 * Other leaves are the hardware's, filtered (TESSERA_CPUID_1_* below).
 *
 * Hypercalls: VMCALL with RAX = call number, arguments in RDI, RSI, RDX, RCX;
 * the result comes back in RAX (>= 0 success, < 0 a TESSERA_E_* error). All
 * other registers are preserved. Outside 64-bit mode only the low 32 bits of
 * each register are used. Calls from CPL > 0 fail with TESSERA_E_PERM before
 * anything else is looked at.
 */
#ifndef TESSERA_GUEST_ABI_TESSERA_H
#define TESSERA_GUEST_ABI_TESSERA_H

/* ---- CPUID --------------------------------------------------------------- */
/* The first hypervisor leaf: Tessera's signature while no other interface is offered. */
#define TESSERA_CPUID_HV_BASE	   0x40000000u
#define TESSERA_CPUID_BASE	   0x40000100u /* Tessera's own leaves */
#define TESSERA_CPUID_STEP	   0x100u      /* between the bases a guest may scan */
#define TESSERA_CPUID_SIGNATURE	   (TESSERA_CPUID_BASE + 0)
#define TESSERA_CPUID_FEATURES	   (TESSERA_CPUID_BASE + 1)
#define TESSERA_CPUID_MAX_LEAF	   TESSERA_CPUID_FEATURES /* EAX of the signature leaves */
/* "TesseraHV\0\0\0" as the three little-endian registers EBX, ECX, EDX. */
#define TESSERA_SIGNATURE_EBX	   0x73736554u /* "Tess" */
#define TESSERA_SIGNATURE_ECX	   0x48617265u /* "eraH" */
#define TESSERA_SIGNATURE_EDX	   0x00000056u /* "V\0\0\0" */
/* Leaf 0x40000101 EAX. */
#define TESSERA_FEAT_HYPERCALL	   (1u << 0) /* Tessera hypercalls by VMCALL */
/*
 * Execute-only memory (xom = on | user, docs/memory-protection.md): guest-physical
 * address A | 2^B, B = leaf 0x40000101 ECX[7:0], is the RAM at A mapped
 * execute-only; a read or write through it raises #PF (P=1, W as the access,
 * U as the CPL, I/D for a fetch, CR2 = the linear address). CPUID 0x80000008
 * reports B as the physical-address width.
 */
#define TESSERA_FEAT_XOM	   (1u << 1)
/* xom = user (MBEC): the alias executes only through user pages (U/S=1 in the guest's paging) */
#define TESSERA_FEAT_XOM_USER	   (1u << 2)
#define TESSERA_FEAT_SPP	   (1u << 3) /* sub-page write protection: TESSERA_HC_SPP_* */
#define TESSERA_FEAT_VE		   (1u << 4) /* the CPU delivers #VE itself: no exit for a report */
#define TESSERA_CPUID_XOM_BIT_MASK 0xffu     /* leaf 0x40000101 ECX */
/* Leaf 0x40000101 EBX, and TESSERA_HC_ABI_VERSION: major << 16 | minor. */
#define TESSERA_ABI_VERSION	   0x00010003u /* 1.3 */

/* How leaf 1 differs from the hardware's. */
#define TESSERA_CPUID_1_ECX_CLEARED ((1u << 5) | (1u << 6)) /* VMX, SMX */
/* hypervisor present; x2APIC and TSC-deadline: the virtual LAPIC has both */
#define TESSERA_CPUID_1_ECX_SET	    ((1u << 31) | (1u << 21) | (1u << 24))
#define TESSERA_CPUID_1_EDX_CLEARED ((1u << 7) | (1u << 14)) /* MCE, MCA */

/* ---- I/O ports ----------------------------------------------------------- */
/* Virtual 16550 subset: THR output becomes console lines "[partition] line". */
#define TESSERA_VUART_BASE	 0x3f8
#define TESSERA_VUART_PORTS	 8
#define TESSERA_VUART_LSR_VALUE	 0x60 /* THR empty, transmitter empty */
/* Like QEMU's isa-debug-exit: a write of 1, 2 or 4 bytes ends the partition. */
#define TESSERA_DEBUG_EXIT_PORT	 0xf4
#define TESSERA_DEBUG_EXIT_PORTS 4

/* ---- Hypercalls ---------------------------------------------------------- */
#define TESSERA_HC_ABI_VERSION	  0 /* () -> TESSERA_ABI_VERSION */
#define TESSERA_HC_CONSOLE_WRITE  1 /* (gpa, len) -> len */
#define TESSERA_HC_PARTITION_INFO 2 /* (gpa) -> 0; fills struct tessera_partition_info */
#define TESSERA_HC_EXIT		  3 /* (status) -> does not return */
#define TESSERA_HC_EXIT_STATS	  4 /* (gpa, count) -> number of counters copied */
#define TESSERA_HC_PRINT_STATS	  5 /* () -> 0; prints the exit counters */
/* (gpa, count) -> leaves offered; copies up to count struct tessera_cpuid_leaf to gpa */
#define TESSERA_HC_HYPERV_CPUID	  6
/*
 * Sub-page write protection (docs/memory-protection.md), numbers 16-18 (7-15
 * are left for other calls). SPP_SET (gpa, mask, flags) -> 0: bit i of mask
 * lets the 128-byte sub-page i of the 4 KiB page at gpa be written;
 * TESSERA_SPP_MASK_ALL lifts the protection. flags: TESSERA_SPP_REPORT_*.
 * SPP_GET (gpa) -> the page's mask (TESSERA_SPP_MASK_ALL when unprotected).
 * VE_INFO (gpa) -> 0: the calling vCPU's #VE information page (4 KiB aligned
 * RAM; TESSERA_VE_INFO_NONE: none), where reports are written.
 */
#define TESSERA_HC_SPP_SET	  16
#define TESSERA_HC_SPP_GET	  17
#define TESSERA_HC_VE_INFO	  18
/* Shared memory with doorbells (docs/shmem.md), ABI 1.3: */
/* (gpa, count) -> regions the partition has; copies up to count struct tessera_shmem_region */
#define TESSERA_HC_SHMEM_LIST	  7
/* (region, vector) -> 0: the calling vCPU takes the region's doorbells at vector (0: none) */
#define TESSERA_HC_SHMEM_VECTOR	  8
/* (region, peer) -> TESSERA_SHMEM_RUNG or TESSERA_SHMEM_COALESCED: rings peer's doorbell */
#define TESSERA_HC_SHMEM_NOTIFY	  9

#define TESSERA_E_NOSYS	 (-1) /* unknown call number */
#define TESSERA_E_INVAL	 (-2) /* an argument is out of range */
#define TESSERA_E_FAULT	 (-3) /* a buffer is not entirely guest RAM */
#define TESSERA_E_PERM	 (-4) /* called from CPL > 0 */
#define TESSERA_E_NOTSUP (-5) /* not offered: the CPU lacks the feature (CPUID bit clear) */
#define TESSERA_E_DENIED (-6) /* the page holds data Tessera shares with the partition */
#define TESSERA_E_NOMEM	 (-7) /* the partition's budget of protected pages or tables is spent */

#define TESSERA_SPP_MASK_ALL	  0xffffffffu
#define TESSERA_SPP_SUBPAGE_SIZE  128
/* SPP_SET flags: how a write to a protected sub-page is reported (it is never done). */
#define TESSERA_SPP_REPORT_VE	  0u /* #VE, by the CPU where it can (TESSERA_FEAT_VE) */
#define TESSERA_SPP_REPORT_INJECT 1u /* #VE, always by Tessera (a VM exit each) */
#define TESSERA_SPP_FLAGS	  1u /* every flag defined */
#define TESSERA_SPP_MAX_PAGES	  64 /* pages a partition may protect at once */
#define TESSERA_VE_INFO_NONE	  (~0ull)

#define TESSERA_CONSOLE_WRITE_MAX 4096 /* bytes per TESSERA_HC_CONSOLE_WRITE */
#define TESSERA_EXIT_STATS_MAX	  80   /* counters: one per basic exit reason 0..79 */
#define TESSERA_HYPERV_CPUID_MAX  16   /* leaves per TESSERA_HC_HYPERV_CPUID */

/* ---- Shared memory (docs/shmem.md) --------------------------------------- */
#define TESSERA_SHMEM_MAX	     8	       /* regions a partition can have */
#define TESSERA_SHMEM_MAX_PEERS	     4	       /* partitions sharing one region */
#define TESSERA_SHMEM_VECTOR_MIN     32	       /* a doorbell vector is 32-255, or 0 for none */
#define TESSERA_SHMEM_WRITABLE	     (1u << 0) /* flags: this partition may write the region */
#define TESSERA_SHMEM_NOTIFY_ON_READ (1u << 1) /* flags: a doorbell-page read rings too */
/* Results of TESSERA_HC_SHMEM_NOTIFY (and what a doorbell-page write did). */
#define TESSERA_SHMEM_RUNG	     0 /* the peer's vector was posted */
#define TESSERA_SHMEM_COALESCED                                          \
	1 /* still pending there, or the peer has no vector: nothing new \
	   */
/*
 * The doorbell page, at doorbell_gpa (just after the region), is not memory:
 * a 32-bit write to offset TESSERA_SHMEM_DB_RING rings the peer whose index
 * is the value written; a 32-bit read of it returns the reader's own peer
 * index and, with TESSERA_SHMEM_NOTIFY_ON_READ, rings every other peer. Other
 * offsets and sizes read 0 and ignore writes.
 */
#define TESSERA_SHMEM_DB_RING 0x0

#ifndef __ASSEMBLY__
#include <stdint.h>

/* Written by TESSERA_HC_PARTITION_INFO; the whole structure must be guest RAM. */
struct tessera_partition_info {
	uint32_t size;	       /* bytes the hypervisor wrote: sizeof(this) since ABI 1.0 */
	uint32_t partition_id; /* index in the hypervisor's configuration */
	char name[32];	       /* NUL-terminated */
	uint32_t nr_vcpus;
	uint32_t vcpu_index; /* the calling vCPU, 0-based */
	uint64_t memory_bytes;
	uint32_t restarts; /* times the partition was restarted: crash policy, reboot or shell */
	uint32_t reserved;
};
_Static_assert(sizeof(struct tessera_partition_info) == 64, "tessera_partition_info layout");

/*
 * Written by TESSERA_HC_HYPERV_CPUID: one Hyper-V CPUID leaf the partition is
 * offered (hyperv = on), as the guest's CPUID returns it. The call returns how
 * many leaves are offered (0 with hyperv = off) and copies min(count, that).
 */
struct tessera_cpuid_leaf {
	uint32_t function; /* 0x40000000 + i */
	uint32_t index;	   /* subleaf: 0 */
	uint32_t eax, ebx, ecx, edx;
};
_Static_assert(sizeof(struct tessera_cpuid_leaf) == 24, "tessera_cpuid_leaf layout");

/*
 * The #VE information page (SDM Vol. 3C 26.5.7.2), as the CPU or Tessera fills
 * it when it reports a write to a protected sub-page with #VE (vector 20, a
 * fault: RIP is the write's, which was not done). A report is made only while
 * `busy` is 0: the handler writes 0 there when it has read the record; while
 * it is not 0 a report becomes #PF (W=1, CR2 = the linear address). Without a
 * page on the writing vCPU the report is that #PF too.
 */
struct tessera_ve_info {
	uint32_t exit_reason; /* 48: EPT violation */
	uint32_t busy;	      /* 0xffffffff once written */
	uint64_t qualification;
	uint64_t linear_address;
	uint64_t physical_address;
	uint16_t eptp_index;
	uint16_t reserved[3];
};
_Static_assert(sizeof(struct tessera_ve_info) == 40, "tessera_ve_info layout");
/* Written by TESSERA_HC_SHMEM_LIST, one per region the partition is a peer of. */
struct tessera_shmem_region {
	char name[32];		    /* NUL-terminated, the config's [shmem NAME] */
	uint64_t gpa;		    /* where this partition sees the region */
	uint64_t size;		    /* bytes, a multiple of 4096 */
	uint64_t doorbell_gpa;	    /* this partition's doorbell page: gpa + size */
	uint32_t flags;		    /* TESSERA_SHMEM_WRITABLE, TESSERA_SHMEM_NOTIFY_ON_READ */
	uint16_t self;		    /* this partition's peer index */
	uint16_t nr_peers;	    /* 2..TESSERA_SHMEM_MAX_PEERS */
	uint32_t peer_partition[4]; /* each peer's partition_id, by peer index */
};
_Static_assert(sizeof(struct tessera_shmem_region) == 80, "tessera_shmem_region layout");

/* VMCALL; raises #UD where there is no hypervisor to catch it. */
static inline long tessera_hypercall(unsigned long nr, unsigned long a0, unsigned long a1,
				     unsigned long a2, unsigned long a3)
{
	long ret;

	__asm__ volatile("vmcall"
			 : "=a"(ret)
			 : "a"(nr), "D"(a0), "S"(a1), "d"(a2), "c"(a3)
			 : "memory");
	return ret;
}
#endif

#endif
