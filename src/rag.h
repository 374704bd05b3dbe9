/*
 * rag.h: coverage against a target: red, amber, green, and percentages
 * that say the same as the colour in words.
 */
#ifndef IH_RAG_H
#define IH_RAG_H

enum rag {
	RAG_NONE = 0,	/* nobody is required: no ratio */
	RAG_RED,
	RAG_AMBER,
	RAG_GREEN
};

/*
 * The band of num out of den against thresholds in percent (green >=
 * green, amber >= amber, red below).  Compared exactly, not after
 * rounding: 89.96% is not green against 90.
 */
enum rag	 rag_of(long long num, long long den, double green,
		    double amber);
/* "green", "amber", "red", "none": machine-readable. */
const char	*rag_name(enum rag);
/* "Green", "Amber", "Red", "No one required": shown to people. */
const char	*rag_label(enum rag);
/*
 * num/den as a percentage with one decimal, rounded half up ("87.5");
 * "-" when den is 0.  out must hold 8 bytes.
 */
void		 rag_percent(long long num, long long den, char out[8]);
/*
 * The change in percentage points from then_num/then_den to num/den, as
 * the two rounded percentages differ ("+2.5", "-0.4", "0.0"); "-" when
 * either has no one required.  out must hold 16 bytes.
 */
void		 rag_points(long long num, long long den, long long then_num,
		    long long then_den, char out[16]);
/* A signed change ("+3", "-1", "0") into out (24 bytes). */
void		 rag_change(long long now, long long then, char out[24]);

#endif
