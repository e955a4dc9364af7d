# Five instances sharing the installation, each with its own layers, ports
# and extra server arguments; instance 4 already has its runtime directory.
layer installation 0
layer overlays/1 "$SERVICE_UID"
layer overlays/2 "$SERVICE_UID"
layer workshop_cache/maps 0
layer global_overlay_cache/sourcemod "$SERVICE_UID"
layer runtime/4 0 0711
layer runtime/4/upper "$SERVER_UID" 0755
layer runtime/4/work "$SERVER_UID" 0700
layer runtime/4/merged 0
instance 1 "L4D2_LOWERDIRS=@STATE@/overlays/1:@STATE@/installation" "L4D2_PORT=27015"
instance 2 "# second server" "L4D2_LOWERDIRS=@STATE@/overlays/2:@STATE@/workshop_cache/maps:@STATE@/installation" \
        "L4D2_PORT=27016" "L4D2_ARGS=+map c1m1_hotel +maxplayers 8"
instance 3 "L4D2_LOWERDIRS=@STATE@/installation" "L4D2_PORT=27017"
instance 4 "L4D2_LOWERDIRS=@STATE@/global_overlay_cache/sourcemod:@STATE@/overlays/1:@STATE@/installation" \
        "L4D2_PORT=27018" "LEFT4ME_AUTOSTART=no"
instance 65535 "  L4D2_LOWERDIRS=  @STATE@/installation" "L4D2_HOSTNAME=My server"
# Instance 4 still has the idmapped bind of a layer it no longer lists, and
# runtime/8 remains of an instance whose file was removed: reset and delete
# units stop those mounts too.
layer runtime/4/idmap 0 0700
layer runtime/4/idmap/overlays_old 0
layer runtime/8 0 0711
layer runtime/8/idmap 0 0700
layer runtime/8/idmap/workshop_cache_9 0
