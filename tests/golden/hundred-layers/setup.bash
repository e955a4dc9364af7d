# 100 layers with long paths: one lowerdir+= option per layer, so no single
# option value comes near util-linux's 256-byte limit for lowerdir=. The
# layers are the server user's: no idmapped binds, the paths as they are.
layer installation "$SERVER_UID"
long=workshop_cache/a-very-long-directory-name-for-workshop-content-0123456789/another-long-level-abcdefghijklmnopqrstuvwxyz
layer "${long%/*}" 0
layers=""
for i in $(seq 1 99); do
        layer "$long-$i" "$SERVER_UID"
        layers="$layers@STATE@/$long-$i:"
done
instance 9 "L4D2_LOWERDIRS=${layers}@STATE@/installation"
