"""The throttle governor and its model: token buckets and hourly windows per bucket."""
