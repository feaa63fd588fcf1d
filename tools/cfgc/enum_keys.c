/* cfgc: the one-of-a-few-words partition keys (enum_keys.h). */
#include "tools/cfgc/enum_keys.h"

#define SPELL(...) ((const char *const[]){__VA_ARGS__, NULL})
#define ENUMS(...) ((const char *const[]){__VA_ARGS__})
#define AT(member) offsetof(struct partition_config, member)

/* Each list is indexed by the enum's values, which start at 0 and have no gaps. */
const struct cfg_enum_key cfg_enum_keys[] = {
    {CFG_P_BOOT, AT(boot), SPELL("auto", "pvh", "multiboot"),
     ENUMS("CONFIG_BOOT_AUTO", "CONFIG_BOOT_PVH", "CONFIG_BOOT_MULTIBOOT"), "a boot protocol"},
    {CFG_P_ON_CRASH, AT(on_crash), SPELL("stop", "restart"),
     ENUMS("CONFIG_ON_CRASH_STOP", "CONFIG_ON_CRASH_RESTART"), "a crash action"},
    {CFG_P_TIMER, AT(timer), SPELL("auto", "posted", "emulated"),
     ENUMS("CONFIG_TIMER_AUTO", "CONFIG_TIMER_POSTED", "CONFIG_TIMER_EMULATED"), "a timer mode"},
    {CFG_P_HALT, AT(halt), SPELL("exit", "passthrough"),
     ENUMS("CONFIG_HALT_EXIT", "CONFIG_HALT_PASSTHROUGH"), "a HLT mode"},
    {CFG_P_PAUSE, AT(pause), SPELL("passthrough", "exit"),
     ENUMS("CONFIG_PAUSE_PASSTHROUGH", "CONFIG_PAUSE_EXIT"), "a PAUSE mode"},
    {CFG_P_FW_CFG, AT(fw_cfg), SPELL("off", "on"), ENUMS("CONFIG_OFF", "CONFIG_ON"), "on or off"},
    {CFG_P_X2APIC, AT(x2apic), SPELL("off", "on"), ENUMS("CONFIG_OFF", "CONFIG_ON"), "on or off"},
    {CFG_P_HYPERV, AT(hyperv), SPELL("off", "on"), ENUMS("CONFIG_OFF", "CONFIG_ON"), "on or off"},
    {CFG_P_XOM, AT(xom), SPELL("off", "on", "user"),
     ENUMS("CONFIG_XOM_OFF", "CONFIG_XOM_ON", "CONFIG_XOM_USER"), "off, on or user"},
    {CFG_P_PMU, AT(pmu), SPELL("off", "on"), ENUMS("CONFIG_OFF", "CONFIG_ON"), "on or off"},
    {CFG_P_LAPIC, AT(lapic), SPELL("virtual", "passthrough"),
     ENUMS("CONFIG_LAPIC_VIRTUAL", "CONFIG_LAPIC_PASSTHROUGH"), "a LAPIC mode"},
    {CFG_P_IOAPIC, AT(ioapic), SPELL("off", "on"), ENUMS("CONFIG_OFF", "CONFIG_ON"), "on or off"},
};
const size_t cfg_nr_enum_keys = sizeof(cfg_enum_keys) / sizeof(cfg_enum_keys[0]);

/* The enumerators' values, checked against the spellings' order above. */
_Static_assert(CONFIG_BOOT_MULTIBOOT == 2 && CONFIG_ON_CRASH_RESTART == 1 &&
		   CONFIG_TIMER_EMULATED == 2 && CONFIG_HALT_PASSTHROUGH == 1 &&
		   CONFIG_PAUSE_EXIT == 1 && CONFIG_ON == 1 && CONFIG_XOM_USER == 2 &&
		   CONFIG_LAPIC_PASSTHROUGH == 1,
	       "enum_keys.c lists the values in enum order");

const struct cfg_enum_key *cfg_enum_key(enum cfg_part_field field)
{
	for (size_t i = 0; i < cfg_nr_enum_keys; i++)
		if (cfg_enum_keys[i].field == field)
			return &cfg_enum_keys[i];
	return NULL;
}

uint32_t cfg_enum_count(const struct cfg_enum_key *k)
{
	uint32_t n = 0;

	while (k->spellings[n])
		n++;
	return n;
}
