# Layers owned by the sandbox user get an idmapped bind each, named
# <parent>_<name>, used in the overlay in their place and in the same order.
layer installation 0
layer overlays/10 "$SANDBOX_UID"
layer overlays/11 "$SERVICE_UID"
layer workshop_cache/10 "$SANDBOX_UID"
layer global_overlay_cache/maps "$SANDBOX_UID"
instance 2 "L4D2_LOWERDIRS=@STATE@/overlays/10:@STATE@/overlays/11:@STATE@/workshop_cache/10:@STATE@/global_overlay_cache/maps:@STATE@/installation"
