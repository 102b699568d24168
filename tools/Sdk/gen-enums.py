#!/usr/bin/env python3
"""Prints C# declarations of SDK enums from Microsoft's listing, so that every member and value is
exactly the official one (a wrong enum value is baked into a plugin at compile time), with the
attributes the details listing beside it states ([DataContract], [EnumMember], [Flags]: the same XML
as Microsoft's when serialized).
usage: gen-enums.py <listing.api.txt> <Namespace.EnumName>...   (reads <listing>.details.txt beside it)"""
import sys, re, os
listing, names = sys.argv[1], sys.argv[2:]
lines = open(listing).read().splitlines()
details_path = listing.replace(".api.txt", ".details.txt")
details = open(details_path).read().splitlines() if os.path.exists(details_path) else []

def attributes(subject_prefix):
    """The attribute facts of a subject in the details listing, in C# form (namespaces left to usings)."""
    out = []
    for l in details:
        subject, _, fact = l.partition(" | ")
        if (subject == subject_prefix or subject.startswith(subject_prefix + " : ")) and fact.startswith("["):
            out.append(re.sub(r'(\w+)=', r'\1 = ', fact).replace("= =", "=="))
    return out

for full in names:
    vals = []
    for l in lines:
        m = re.match(r"V:%s::(\w+) = (-?\d+)$" % re.escape(full), l)
        if m: vals.append((m.group(1), m.group(2)))
    underlying = next((l.split(" : ")[1] for l in lines if l.startswith("F:%s::value__ : " % full)), "System.Int32")
    ns, name = full.rsplit(".", 1)
    base = "" if underlying == "System.Int32" else " : " + {"System.Byte":"byte","System.Int64":"long","System.Int16":"short","System.UInt32":"uint"}[underlying]
    print("namespace %s\n{\n    /// <summary>Values exactly as Microsoft's %s.</summary>" % (ns, name))
    for a in attributes("T:" + full): print("    " + a)
    print("    public enum %s%s\n    {" % (name, base))
    for n, v in vals:
        for a in attributes("F:%s::%s" % (full, n)): print("        " + a)
        print("        %s = %s," % (n, v))
    print("    }\n}\n")
