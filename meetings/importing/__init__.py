"""Import of existing protocols (Word, text) into draft protocols (issue 15).

``reading`` turns an uploaded file into lines with bounded cost, ``parse`` turns lines into a
structured protocol (pure: no database), ``services`` matches it against the cluster's register
and creates the draft through the protocol editor's service.
"""
