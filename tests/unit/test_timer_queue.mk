test_timer_queue_SRCS := hv/vlapic/timer_queue.c
