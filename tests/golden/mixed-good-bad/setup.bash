# Good instances beside bad ones: every bad one is skipped with one message,
# the good ones are generated, and the exit status is 1.
layer installation 0
layer overlays/1 "$SERVICE_UID"
layer overlays/evil "$OTHER_UID"
instance 1 "L4D2_LOWERDIRS=@STATE@/overlays/1:@STATE@/installation"
instance 2 "L4D2_LOWERDIRS=@STATE@/overlays/evil:@STATE@/installation"
instance 3 "L4D2_LOWERDIRS=relative/path"
instance 4 "L4D2_LOWERDIRS=@STATE@/installation" "LEFT4ME_AUTOSTART=yes"
instance 5 "L4D2_PORT=27015"
echo "not an instance" >"$INST/notes.txt"
echo "L4D2_LOWERDIRS=$STATE/installation" >"$INST/007.env"
echo "editor swap file" >"$INST/.3.env.swp"
