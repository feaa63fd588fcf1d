# UEFI boot checks, shared by qemu-uefi-smp*.sh (source after checks.sh).
#
# uefi_boot_test NAME CPUS: boots $ISO in QEMU with OVMF and checks that
# Tessera knew it came by UEFI, took the EFI memory map (tag 17) and the RSDP
# from GRUB's ACPI tag, put the AP trampoline below 1 MiB in a page the map
# gave as RAM, brought every CPU online and ended at "no VMX" (status 2).

# The trampoline's page lies inside one of the "mem: A-B ram" lines.
expect_trampoline_in_ram() {
	local page lines
	page=$(hv_text | sed -n 's/.*smp: start-up trampoline at \(0x[0-9a-f]*\).*/\1/p' | head -n 1)
	[ -n "$page" ] || { fail "no start-up trampoline line"; return; }
	((page < 0x100000)) || fail "trampoline at $page, not below 1 MiB"
	lines=$(hv_text | sed -n 's/.*mem: \(0x[0-9a-f]*\)-\(0x[0-9a-f]*\) ram$/\1 \2/p')
	local lo hi
	while read -r lo hi; do
		[ -n "$lo" ] || continue
		if ((page >= lo && page + 0xfff <= hi)); then
			return
		fi
	done <<<"$lines"
	fail "trampoline at $page is in no RAM range of the memory map"
}

uefi_boot_test() {
	local name=$1 cpus=$2
	test_begin "$name"
	need_file "$ISO"
	run_qemu --iso "$ISO" --uefi --smp "$cpus"
	expect_line 'tessera: booted by multiboot2 from GRUB .* on UEFI,'
	expect_line 'mem: memory map from the UEFI memory map \(multiboot2 tag 17\), [1-9][0-9]* entries'
	expect_line 'acpi: RSDP revision 2, .*from the loader'"'"'s copy'
	expect_trampoline_in_ram
	expect_smp "$cpus"
	expect_line 'vmx: not available: '
	expect_status 2
	test_end
}
