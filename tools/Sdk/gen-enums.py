#!/usr/bin/env python3
"""Prints C# declarations of SDK enums from Microsoft's listing, so that every member and value is
exactly the official one (a wrong enum value is baked into a plugin at compile time).
usage: gen-enums.py <listing.api.txt> <Namespace.EnumName>..."""
import sys, re
listing, names = sys.argv[1], sys.argv[2:]
lines = open(listing).read().splitlines()
for full in names:
    vals = []
    for l in lines:
        m = re.match(r"V:%s::(\w+) = (-?\d+)$" % re.escape(full), l)
        if m: vals.append((m.group(1), m.group(2)))
    underlying = next((l.split(" : ")[1] for l in lines if l.startswith("F:%s::value__ : " % full)), "System.Int32")
    flags = ""
    ns, name = full.rsplit(".", 1)
    base = "" if underlying == "System.Int32" else " : " + {"System.Byte":"byte","System.Int64":"long","System.Int16":"short","System.UInt32":"uint"}[underlying]
    print("namespace %s\n{\n    /// <summary>Values exactly as Microsoft's %s.</summary>\n    public enum %s%s\n    {" % (ns, name, name, base))
    for n, v in vals: print("        %s = %s," % (n, v))
    print("    }\n}\n")
