# LEFT4ME_AUTOSTART=yes links the instance into multi-user.target.wants.
layer installation 0
instance 5 "L4D2_LOWERDIRS=@STATE@/installation" "LEFT4ME_AUTOSTART=yes"
instance 6 "L4D2_LOWERDIRS=@STATE@/installation" "LEFT4ME_AUTOSTART=no"
instance 7 "L4D2_LOWERDIRS=@STATE@/installation"
