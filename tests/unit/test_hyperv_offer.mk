test_hyperv_offer_SRCS := hv/policy/hyperv_offer.c
