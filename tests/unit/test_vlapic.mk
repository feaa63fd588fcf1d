test_vlapic_SRCS := hv/vlapic/vlapic_regs.c hv/vlapic/vlapic_x2apic.c hv/vlapic/vlapic_base.c hv/vlapic/vlapic_irq.c hv/vlapic/vlapic_timer.c
