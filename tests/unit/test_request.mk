test_request_SRCS :=
