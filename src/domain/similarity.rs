//! Which titles look like the same problem, for duplicate hints while triaging.

use std::collections::BTreeSet;

fn words(title: &str) -> BTreeSet<String> {
    title
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| w.chars().count() >= 3)
        .map(str::to_lowercase)
        .collect()
}

/// Shared words over all words (Jaccard), 0.0 to 1.0.
pub fn title_similarity(a: &str, b: &str) -> f64 {
    let (a, b) = (words(a), words(b));
    let union = a.union(&b).count();
    if union == 0 {
        return 0.0;
    }
    a.intersection(&b).count() as f64 / union as f64
}

/// The indexes of the candidates most like `title`, best first, at most `limit`, and
/// only those sharing a real part of their words.
pub fn most_similar(title: &str, candidates: &[&str], limit: usize) -> Vec<usize> {
    let mut scored: Vec<(usize, f64)> = candidates
        .iter()
        .enumerate()
        .map(|(i, c)| (i, title_similarity(title, c)))
        .filter(|(_, score)| *score >= 0.25)
        .collect();
    scored.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
    scored.into_iter().take(limit).map(|(i, _)| i).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn similar_titles_rank_above_unrelated_ones() {
        let candidates = [
            "Checkout returns 502 for some users",
            "Laptop will not boot",
            "checkout 502 errors",
            "Slow responses from search",
        ];
        assert_eq!(
            most_similar("Checkout giving 502 errors", &candidates, 3),
            [2, 0]
        );
        assert!(most_similar("Printer jam", &candidates, 3).is_empty());
        assert_eq!(title_similarity("", ""), 0.0);
    }
}
