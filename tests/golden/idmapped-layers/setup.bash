# Every layer not owned by the server user is used through the idmapped view
# of its lower root for its owner (root, the service or the sandbox user):
# one bind of the root at runtime/idmap/UID/ROOT showing that owner as the
# server user, shared by every instance; the overlay takes the layer's path
# inside it, in the layer's place and order. A layer the server user owns is
# used as it is.
layer installation 0
layer overlays/10 "$SANDBOX_UID"
layer overlays/11 "$SERVICE_UID"
layer overlays/12 "$SERVER_UID"
layer workshop_cache/10 "$SANDBOX_UID"
layer global_overlay_cache/maps "$SANDBOX_UID"
instance 2 "L4D2_LOWERDIRS=@STATE@/overlays/10:@STATE@/overlays/11:@STATE@/overlays/12:@STATE@/workshop_cache/10:@STATE@/global_overlay_cache/maps:@STATE@/installation"
