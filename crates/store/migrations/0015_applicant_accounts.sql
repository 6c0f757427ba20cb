-- An applicant who registers online consents to the user agreement and the privacy notice
-- (个人信息保护法 第十四条): which version, and when. Applicants registered at a window consent on
-- paper, and have neither. A verification code records when it was sent, so a phone is sent at
-- most one code a minute.
ALTER TABLE applicants ADD COLUMN consent_version TEXT;
ALTER TABLE applicants ADD COLUMN consented_ms BIGINT;
ALTER TABLE verification_codes ADD COLUMN sent_ms BIGINT NOT NULL DEFAULT 0
