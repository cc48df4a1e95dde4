"""Streamlit-side pieces shared by the pages: state, navigation, controls, the chart component."""
