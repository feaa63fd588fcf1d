test_eptp_track_SRCS := hv/policy/eptp_track.c
