"""Catalogues the evaluation draws on: ADLs, IADLs, life roles, destinations, interventions."""
