"""Chart colours shared by the PNG charts (matplotlib) and the PDF's vector charts."""

# Muted colours that stay distinguishable when printed in greyscale.
PALETTE = ("#2f5d8a", "#c0504d", "#9bbb59", "#8064a2", "#f79646", "#4bacc6")
GRADE_COLOURS = {"优": "#2e7d32", "良": "#1565c0", "中": "#ef6c00", "差": "#c62828"}
REFERENCE_COLOUR = "#444444"
