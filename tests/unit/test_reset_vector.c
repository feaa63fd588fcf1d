/*
 * hv/load/reset_vector.c: the stub at F000:FFF0, decoded here by hand from
 * the SDM's 16-bit encodings: MOV DX, imm16; MOV AL, imm8; OUT DX, AL; HLT;
 * JMP back to the HLT; HLT to the end of the first MiB. What it writes is the
 * FADT's reset register, which the port decoder takes as a reset.
 */
#include "tests/unit/check.h"
#include "hv/load/reset_vector.h"
#include "hv/load/guest_acpi.h"

TEST(stub_writes_the_reset_register)
{
	uint8_t v[RESET_VECTOR_SIZE];
	uint16_t dx;
	uint8_t al;

	memset(v, 0, sizeof(v));
	reset_vector_build(v, GUEST_ACPI_RESET_PORT, GUEST_ACPI_RESET_VALUE);
	CHECK_EQ(v[0], 0xba); /* MOV DX, imm16 */
	dx = (uint16_t)(v[1] | v[2] << 8);
	CHECK_EQ(v[3], 0xb0); /* MOV AL, imm8 */
	al = v[4];
	CHECK_EQ(v[5], 0xee); /* OUT DX, AL */
	CHECK_EQ(dx, 0xcf9);
	CHECK_EQ(al, 0x06);
	CHECK_EQ(power_port_write(dx, 1, al), POWER_RESET);
	CHECK_EQ(v[6], 0xf4); /* HLT */
	CHECK_EQ(v[7], 0xeb); /* JMP rel8: from the end of the JMP (9) back to the HLT (6) */
	CHECK_EQ(9 + (int8_t)v[8], 6);
	for (unsigned i = 9; i < RESET_VECTOR_SIZE; i++)
		CHECK_EQ(v[i], 0xf4);
	CHECK_EQ(RESET_VECTOR_GPA + RESET_VECTOR_SIZE, 0x100000); /* F000:FFF0 to the 1 MiB line */
}

int main(void)
{
	CHECK_MAIN("reset_vector");
	RUN(stub_writes_the_reset_register);
	return CHECK_END();
}
