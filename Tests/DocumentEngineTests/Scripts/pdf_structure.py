#!/usr/bin/env python3
"""Independent reading of a CathodeLab document with pypdf (Debian python3-pypdf), for DocumentEngineTests.

Prints JSON: the page count, the outline (top-level titles and the number of children of each), every link
annotation (named destination or URI) with the page its destination resolves to (null when it resolves nowhere),
and the document metadata.
"""
import json
import sys

from pypdf import PdfReader
from pypdf.generic import ArrayObject, NameObject, TextStringObject


def main(path):
    reader = PdfReader(path)
    page_ids = {page.indirect_reference.idnum: index + 1 for index, page in enumerate(reader.pages)}
    named = reader.named_destinations

    def page_of_destination(destination):
        if isinstance(destination, (str, TextStringObject)):
            target = named.get(str(destination))
            if target is None:
                return None
            return reader.get_destination_page_number(target) + 1
        if isinstance(destination, ArrayObject) and destination:
            reference = destination[0]
            return page_ids.get(getattr(reference, "idnum", None))
        return None

    outline = []
    for item in reader.outline:
        if isinstance(item, list):
            if outline:
                outline[-1]["children"] = len(item)
            continue
        outline.append({"title": item.title, "page": reader.get_destination_page_number(item) + 1, "children": 0})

    links = []
    for number, page in enumerate(reader.pages, start=1):
        for annotation in page.get("/Annots", []) or []:
            annotation = annotation.get_object()
            if annotation.get("/Subtype") != "/Link":
                continue
            entry = {"page": number}
            if "/Dest" in annotation:
                destination = annotation["/Dest"]
                entry["dest"] = str(destination) if isinstance(destination, (str, TextStringObject)) else "explicit"
                entry["targetPage"] = page_of_destination(destination)
            elif "/A" in annotation:
                action = annotation["/A"].get_object()
                if action.get("/S") == NameObject("/URI"):
                    entry["uri"] = str(action["/URI"])
                elif "/D" in action:
                    entry["dest"] = str(action["/D"]) if isinstance(action["/D"], (str, TextStringObject)) else "explicit"
                    entry["targetPage"] = page_of_destination(action["/D"])
            links.append(entry)

    metadata = {str(key): str(value) for key, value in (reader.metadata or {}).items()}
    print(json.dumps({"pages": len(reader.pages), "outline": outline, "links": links, "metadata": metadata}, indent=1))


if __name__ == "__main__":
    main(sys.argv[1])
