# The smallest useful instance: the shared installation and one addon layer.
layer installation 0
layer overlays/7 "$SERVICE_UID"
instance 1 "L4D2_LOWERDIRS=@STATE@/overlays/7:@STATE@/installation" "L4D2_PORT=27015"
