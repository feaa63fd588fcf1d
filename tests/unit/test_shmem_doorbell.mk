test_shmem_doorbell_SRCS := hv/policy/shmem_doorbell.c
