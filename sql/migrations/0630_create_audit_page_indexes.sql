-- 0630: the audit trail is read newest first, a page at a time after the
-- last id shown (src/audit.c: the page's "Older entries", and the CSV,
-- which src/download.c streams in pages of 5,000).  Without these, a
-- page of one kind of record, or of one record, sorts every entry that
-- matches to find its first rows; with them each page is a range of an
-- index, in id order.  With no filter, or only dates, a page walks the
-- primary key backwards.
DROP INDEX audit_log_entity_idx;
CREATE INDEX audit_log_entity_idx ON audit_log (entity, entity_id, id);
CREATE INDEX audit_log_entity_order_idx ON audit_log (entity, id);
