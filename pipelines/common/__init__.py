"""Small pieces every stage needs: errors, text normalisation, atomic writes."""
